"""The path converters of Lede's URLs: object ids (`<id:pk>`) and usernames (`<username:username>`).

Django's `<int:...>` matches a number of any length, and one beyond a 64-bit key (say
/api/v1/sentences/99999999999999999999/) reaches the database driver, which fails with a 500.
An id matches only with at most 18 digits, below PostgreSQL's bigint limit; a longer one is
no URL of Lede's, so the answer is an ordinary 404.
"""

MAX_ID_DIGITS = 18
MAX_ID = 10**MAX_ID_DIGITS - 1  # the largest id any URL or id parameter accepts


class IdConverter:
    regex = f"[0-9]{{1,{MAX_ID_DIGITS}}}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


class UsernameConverter:
    """A username in a path: what Django's `<str:...>` matches, minus NUL, which no username holds and
    PostgreSQL cannot compare (a 500 otherwise), and at most 150 characters, a username's limit."""

    regex = "[^/\\x00]{1,150}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)
