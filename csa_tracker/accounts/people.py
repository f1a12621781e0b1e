def display_name(user, nobody: str = "—") -> str:
    """How the site names a person: full name, else username; `nobody` when there is no user."""
    if user is None:
        return nobody
    return user.get_full_name() or user.username
