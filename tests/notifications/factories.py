import factory

from notifications.models import Notification
from tests.factories import UserFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = "application_submitted"
    title = factory.Sequence(lambda n: f"淄博市新材料产业技术创新战略联盟：已提交 {n}")
    body = "请及时进行形式审查。"
    url = "/alliances/1/"
