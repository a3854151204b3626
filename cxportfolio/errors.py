"""The one exception that means "stop, exit 2, print one line"."""


class CxpError(Exception):
    """A usage error, an unreadable path or an internal failure.

    The CLI prints ``str(error)`` as a single line and exits with code 2; anything
    else that escapes is turned into the same shape so users never see a traceback.
    """
