"""Form widgets every app shares."""

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker, which reads and writes ISO dates whatever the locale: the value is
    always rendered as YYYY-MM-DD, so a form opened and saved unchanged keeps its dates."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")
