from django import forms


class OpenDataSettingsForm(forms.Form):
    public = forms.BooleanField(
        required=False,
        label="Anyone may read our published reports and open data without signing in",
        help_text=(
            "Only published material is ever shown: the published report versions, the plans they report on, "
            "published progress and published figures, with small district counts hidden. Drafts, submitted "
            "and returned items never appear."
        ),
    )
