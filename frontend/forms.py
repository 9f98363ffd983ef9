"""Forms of the pages that post without the API: choosing an account on an invitation's join page."""

from django import forms


class NewAccountForm(forms.Form):
    """The fields a person fills in to join by invitation; the account's rules are checked by the service."""

    username = forms.CharField(max_length=150)
    password = forms.CharField(widget=forms.PasswordInput, strip=False)
    password_again = forms.CharField(widget=forms.PasswordInput, strip=False, label="Password again")

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password_again") and data["password"] != data["password_again"]:
            self.add_error("password_again", "The two passwords differ; type the same password twice.")
        return data


class ArticleListForm(forms.Form):
    """The project page's search and order of its articles (GET)."""

    q = forms.CharField(max_length=200, required=False, strip=True, label="Search titles and outlets")
    sort = forms.ChoiceField(
        required=False,
        label="Sort by",
        choices=[
            ("imported", "Order of import"),
            ("title", "Title"),
            ("outlet", "Outlet"),
            ("newest", "Newest first"),
            ("oldest", "Oldest first"),
        ],
    )
