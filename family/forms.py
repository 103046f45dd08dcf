from django import forms


class FamilyCodeForm(forms.Form):
    code = forms.CharField(
        max_length=20,
        label="Family code",
        help_text="Your child finds it on their Profile page, e.g. 7KQ2-M9XD.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
