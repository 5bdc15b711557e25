"""The form a resident fills to volunteer for a programme."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from commonbeat.core.languages import translated
from commonbeat.core.models import Neighbourhood
from commonbeat.engagement.volunteers.models import Programme, ProgrammeRole, Volunteer


class RoleChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return translated(obj, "title").text


class SignUpForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        help_text=_("The programme's staff see it; the public never does."),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("For your confirmation and your own link, e.g. ana@example.org."),
    )
    phone = forms.CharField(
        label=_("Telephone (optional)"),
        required=False,
        max_length=40,
        help_text=_("If you would rather be called."),
    )
    neighbourhood = forms.ModelChoiceField(
        label=_("Your neighbourhood (optional)"),
        queryset=Neighbourhood.objects.none(),
        required=False,
        empty_label="—",
        help_text=_("Leave it empty if you live outside the city."),
    )
    role = RoleChoice(
        label=_("The role you would like"),
        queryset=ProgrammeRole.objects.none(),
        required=False,
        empty_label=_("Any role"),
    )
    languages = forms.CharField(
        label=_("Languages you speak (optional)"),
        required=False,
        max_length=200,
        help_text=_("e.g. English, Spanish, Vietnamese."),
    )
    availability = forms.MultipleChoiceField(
        label=_("When you are available"),
        choices=Volunteer.Availability.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one time you are available.")},
    )
    consent = forms.BooleanField(
        label=_("The programme's staff may contact me about volunteering"),
        error_messages={"required": _("Tick this box so that the staff may contact you.")},
        help_text=_("By e-mail, or by telephone if you gave one. Nothing else is sent."),
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        place = self.fields["neighbourhood"]
        role = self.fields["role"]
        assert isinstance(place, forms.ModelChoiceField)  # noqa: S101  declared above
        assert isinstance(role, forms.ModelChoiceField)  # noqa: S101  declared above
        place.queryset = Neighbourhood.objects.filter(agency_id=programme.agency_id).order_by(
            "name"
        )
        if programme.neighbourhood_id:
            place.initial = programme.neighbourhood_id
        role.queryset = programme.roles.all()
        if not programme.roles.exists():
            del self.fields["role"]
        if programme.minimum_age:
            self.fields["old_enough"] = forms.BooleanField(
                label=_("I am %(age)s or older") % {"age": programme.minimum_age},
                error_messages={
                    "required": _("This programme is for people aged %(age)s or older.")
                    % {"age": programme.minimum_age}
                },
            )
