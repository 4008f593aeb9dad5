"""The review comments panel at the top of the post editor (edit view only)."""

from wagtail.admin.panels import Panel

from cms.posts.models import Post

from .comment_views import PANEL_TEMPLATE, panel_context


class ReviewCommentsPanel(Panel):
    """What the reviewers said: the changes they asked for and the open comment threads, with
    replying and resolving; reviewers and leads start threads here too (approvals.comment_views)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = PANEL_TEMPLATE

        def _context(self) -> dict:
            if not hasattr(self, "_panel_context"):
                # The editor's instance is the post as in its latest revision: that is the content
                # commented on. Its workflow and comments hang off the post's own row.
                post = Post.objects.select_related("brand", "latest_revision").get(pk=self.instance.pk)
                if hasattr(self.instance, "_current_workflow_states"):  # read once by the edit view
                    post._current_workflow_states = self.instance._current_workflow_states
                self._panel_context = panel_context(self.request, post, content=self.instance)
            return self._panel_context

        def is_shown(self):
            if getattr(self.instance, "pk", None) is None:
                return False  # a new post has no comments yet
            context = self._context()
            # Nothing said yet and nothing this user could say: keep the top of the form for the post.
            return bool(
                context["can_comment"]
                or context["decision"]
                or context["open_threads"]
                or context["resolved_threads"]
            )

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context.update(self._context())
            return context
