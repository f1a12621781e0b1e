"""A refusal no view caught is still a sentence on the site's own page, never a 500."""

from django.shortcuts import render

from .refusals import Refusal


class RefusalMiddleware:
    """Render a `Refusal` that escaped a view as the 403 page, saying why (the view's `except` is where
    refusals are normally shown; this is the frame for any it does not expect)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, Refusal):
            return None
        return render(request, "403.html", {"refusal": str(exception)}, status=403)
