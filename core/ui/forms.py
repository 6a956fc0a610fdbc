"""Query-string filters. Bad values get a 400 with the form's message instead of
being silently replaced."""
from django import forms
from django.utils.translation import gettext_lazy as _

from core.hub.lineage import MAX_DEPTH
from core.training.models import Job

from .labels import DIRECTION_LABELS


class LineageForm(forms.Form):
    depth = forms.IntegerField(label=_("Depth"), min_value=1, max_value=MAX_DEPTH, required=False, initial=3)
    direction = forms.ChoiceField(label=_("Direction"), choices=list(DIRECTION_LABELS.items()), required=False,
                                  initial="both")

    def values(self):
        return self.cleaned_data.get("depth") or 3, self.cleaned_data.get("direction") or "both"


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Action"), max_length=100, required=False)
    actor = forms.CharField(label=_("Actor"), max_length=150, required=False)
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, object_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", _("All types"))] + [(t, t) for t in object_types]

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data


class JobFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses"))] + list(Job.Status.choices))
