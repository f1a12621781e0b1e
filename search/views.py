"""The partnership's search page (`selectors.search_partnership`)."""

from django.shortcuts import render

from csa_tracker.accounts.access import partnership_view
from csa_tracker.accounts.policies import Can

from .selectors import search_partnership


@partnership_view(Can.READ)
def search(request):
    """`?q=` across the partnership's actions, progress, indicators and people."""
    query = request.GET.get("q", "")
    results = search_partnership(access=request.access, query=query)
    return render(request, "search.html", {"results": results, "query": results.query})
