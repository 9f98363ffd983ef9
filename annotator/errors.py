"""Domain errors raised by services; the API turns them into 4xx answers that name the field."""


class InvalidInput(Exception):
    """Input that breaks a rule of the domain; `errors` maps each field path to its messages."""

    status_code = 400

    def __init__(self, field: str | dict[str, list[str]], message: str = ""):
        self.errors = field if isinstance(field, dict) else {field: [message]}
        super().__init__("; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in self.errors.items()))


class Conflict(InvalidInput):
    """The request is well formed but clashes with the current state (e.g. removing a used label)."""

    status_code = 409


class TooLarge(InvalidInput):
    """A body, or a field of it, over its size limit: refused before it is read whole."""

    status_code = 413


class Gone(InvalidInput):
    """What was asked for existed but can no longer be used: an expired, used-up or revoked invitation."""

    status_code = 410


class Forbidden(InvalidInput):
    """The caller may not make this change (e.g. a label the study design does not give them); nothing changed."""

    status_code = 403
