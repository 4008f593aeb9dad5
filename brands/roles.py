"""What each role may do inside its brands. The role groups are created by a data migration."""

from .models import BrandRole

ROLE_GROUP_NAMES = {
    BrandRole.CREATIVE: "Creative",
    BrandRole.REVIEWER: "Reviewer",
    BrandRole.LEAD: "Account lead",
}
CLIENT_GROUP_NAME = "Client"

# Permissions each role holds on its own brands' collections (Wagtail grants these per group).
ROLE_COLLECTION_PERMISSIONS = {
    BrandRole.CREATIVE: ["add_image", "choose_image"],
    BrandRole.REVIEWER: ["choose_image"],
    BrandRole.LEAD: ["add_image", "change_image", "delete_image", "choose_image"],
}

# Roles allowed to change a brand's kit (admins can always).
KIT_EDITOR_ROLES = {BrandRole.LEAD}

# What each role may do to a brand's posts, on that brand only: a lead on one brand who is a
# creative on another has a creative's rights there, although Django's permissions are global.
POST_ROLES_FOR_ACTION = {
    "add": {BrandRole.CREATIVE, BrandRole.LEAD},
    "delete": {BrandRole.LEAD},
    "unlock": {BrandRole.LEAD},
}
