"""Names holding bidirectional-override or zero-width characters are refused with a message naming the
character (issue 18, finding 10): organisation, alliance and project names, in the models (so the admin and
every ModelForm) and at sign-up over HTTP."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from alliance_portal.core.validators import INVISIBLE_CONTROLS, validate_no_invisible_controls
from alliances.forms import AllianceCreateForm
from alliances.models import Organisation
from projects.forms import ParticipantForm
from tests.accounts.conftest import signup_data
from tests.factories import AllianceFactory, OrganisationFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

RIGHT_TO_LEFT_OVERRIDE = "淄博\u202e司公限有"


def test_every_listed_character_is_invisible_and_refused():
    assert sorted(f"{ord(c):04X}" for c in INVISIBLE_CONTROLS) == [
        "200B", "200C", "200D", "202A", "202B", "202C", "202D", "202E", "2066", "2067", "2068", "2069"]
    for char in INVISIBLE_CONTROLS:
        with pytest.raises(ValidationError):
            validate_no_invisible_controls(f"淄博{char}联盟")


def test_message_names_the_character_and_its_position_in_both_languages():
    with pytest.raises(ValidationError) as refused:
        validate_no_invisible_controls(RIGHT_TO_LEFT_OVERRIDE)
    with translation.override("en"):
        assert refused.value.messages == [
            "The name contains an invisible character (U+202E at position 3) that changes how text is displayed. "
            "Please retype the name without it."]
    with translation.override("zh-hans"):
        assert refused.value.messages == ["名称中含有改变文字显示方式的不可见字符（第 3 个字符，U+202E），请删除后重新输入。"]


def test_ordinary_chinese_and_latin_names_pass():
    validate_no_invisible_controls("淄博市新材料产业技术创新战略联盟 (ZB-NM) · 第2期")


@pytest.mark.parametrize(("make", "field"), [
    (lambda: OrganisationFactory.build(name=RIGHT_TO_LEFT_OVERRIDE), "name"),
    (lambda: AllianceFactory.build(name=RIGHT_TO_LEFT_OVERRIDE), "name"),
    (lambda: ProjectFactory.build(title="陶瓷\u200b项目"), "title"),
])
def test_models_refuse_the_name_in_full_clean(make, field):
    with pytest.raises(ValidationError) as refused:
        make().full_clean()
    assert refused.value.error_dict[field][0].code == "invisible_character"


def test_signup_refuses_the_organisation_name_beside_the_field(client):
    response = client.post("/accounts/signup/", signup_data(**{"org-name": RIGHT_TO_LEFT_OVERRIDE}))
    assert response.status_code == 200
    assert response.context["organisation_form"].errors.as_data()["name"][0].code == "invisible_character"
    assert not Organisation.objects.exists()


def test_forms_refuse_alliance_and_participant_names():
    alliance_form = AllianceCreateForm(data={"name": "新材料\u2066联盟"})
    assert not alliance_form.is_valid()
    assert alliance_form.errors.as_data()["name"][0].code == "invisible_character"
    participant = ParticipantForm(data={"name": "外部\u200d单位"}, alliance=AllianceFactory())
    participant.is_valid()
    assert participant.errors.as_data()["name"][0].code == "invisible_character"
