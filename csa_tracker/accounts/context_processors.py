def access(request):
    """Expose the resolved partnership access (if the view set one) to every template."""
    return {"access": getattr(request, "access", None)}
