"""The one exception that means "stop, exit 2, print one line"."""


class CxpError(Exception):
    """A usage error, an unreadable path or an internal failure.

    The CLI prints ``str(error)`` as a single line and exits with code 2; anything
    else that escapes is turned into the same shape so users never see a traceback.
    """


def permission_denied(path: object) -> str:
    """What a path the user may not read (or a folder on its way they may not enter) is
    told: the same wherever it is met."""
    return f"{path}: permission denied (to it, or to a folder on its way): check their permissions"
