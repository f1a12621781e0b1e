"""An item's conversation page: the partners of its organisation and the Working Group read and write
comments on it (`workflow.conversation`). The item's own pages show the same conversation with the
same form, which posts here and returns to the page it came from."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from csa_tracker.accounts.access import partnership_view
from csa_tracker.accounts.policies import Can
from csa_tracker.refusals import Refusal, refuse_on_form
from evidence.services import attachments_of
from workflow.conversation import comment_add, comments_on, may_converse
from workflow.kinds import KINDS

from .forms import CommentForm

# Where a comment sent from an item's page returns to: the value of the form's "back" field.
BACK = {"item": "{kind}_edit", "review": "review_{kind}"}


def _back(request, item):
    route = BACK.get(request.POST.get("back", ""), "{kind}_conversation").format(kind=item.kind.name)
    return redirect(route, partnership=item.partnership.slug, pk=item.pk)


@partnership_view(Can.WRITE_PROGRESS)
def item_conversation(request, pk: int, kind: str):
    found = KINDS.get(kind)
    if found is None:
        raise Http404("No such kind of item.")
    item = get_object_or_404(found.visible(request.access), pk=pk)
    if not may_converse(request.access, item):
        raise Http404("No conversation of yours.")
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            comment_add(access=request.access, item=item, text=form.cleaned_data["text"])
        except Refusal as exc:
            refuse_on_form(form, exc)
        else:
            messages.success(request, "Comment sent: the other side is told, and it stays with this item.")
            return _back(request, item)
    context = {
        "kind": found,
        "item": item,
        "subject_name": found.subject_name(found.subject(item)),
        "comments": comments_on(item),
        "comment_form": form,
        "attachments": attachments_of(item),
        "can_review": found.policy.permits(request.access, "review", item),
    }
    return render(request, "reviews/conversation.html", context)
