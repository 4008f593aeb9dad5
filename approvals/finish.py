"""Wagtail's finish action for the agency workflow (WAGTAIL_FINISH_WORKFLOW_ACTION).

Wagtail imports this while its own models load, so it imports everything else when called.
"""


def finish_workflow(workflow_state, user=None) -> None:
    """Publish (or schedule) exactly the revision every tier approved (approvals.publishing).

    Publishing refuses content whose hash is not the one approved, so nothing that changed after
    an approval can go out.
    """
    from .publishing import publish_approved_content

    publish_approved_content(workflow_state=workflow_state, user=user)
