"""One labelled-enum base: every stored choice carries the words the pages show for it."""

import enum


class LabelledEnum(enum.StrEnum):
    """A string enum whose members may give their label, as `NAME = "value", "Label"`; otherwise the label
    is the value in words ("private_hire_driver" -> "Private hire driver")."""

    label: str

    def __new__(cls, value: str, label: str | None = None):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label or value.replace("_", " ").capitalize()
        return member
