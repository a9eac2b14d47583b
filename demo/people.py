"""Demo users, one or more for every role, all with the one documented demo password."""

import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from accounts.models import User
from accounts.roles import Role
from alliances.models import District, Sector
from reviews.models import Department, DepartmentMembership, ExpertProfile

from . import names
from .units import mobile, person

DEMO_PASSWORD = "zibo-demo-2026"  # noqa: S105 - published demo password; load_demo_data refuses production
DEMO_EMAIL_DOMAIN = "example.com"  # reserved for documentation: demo mail never reaches anyone


@dataclass
class Login:
    role: str
    username: str
    name: str
    note: str = ""


@dataclass
class Cast:
    """Who acts in the demo's stories."""

    admin: User
    officer: User
    officer2: User
    experts: list[ExpertProfile]
    department_reviewers: list[User]
    district_reviewer: User
    liaisons: list[User]
    logins: list[Login] = field(default_factory=list)


class UserMaker:
    def __init__(self):
        # Hashing once: Argon2 is deliberately slow, and every demo user has the same password.
        self.password = make_password(DEMO_PASSWORD)
        self.groups = {g.name: g for g in Group.objects.all()}

    def make(self, username: str, full_name: str, *roles: Role, rng: random.Random | None = None,
             **fields) -> User:
        user = User.objects.create(
            username=username, full_name=full_name, password=self.password,
            email=f"{username}@{DEMO_EMAIL_DOMAIN}", phone=mobile(rng) if rng else "", **fields,
        )
        user.groups.add(*(self.groups[Role(role).value] for role in roles))
        return user


def build_staff(rng: random.Random, maker: UserMaker) -> Cast:
    """The bureau, the departments, the district and the liaison officers (experts come later)."""
    admin = maker.make("admin", "系统管理员", Role.ADMIN, rng=rng, is_staff=True, is_superuser=True)
    officer = maker.make("officer", "王建国", Role.OFFICER, rng=rng)
    officer2 = maker.make("officer2", "刘晓燕", Role.OFFICER, rng=rng)
    department_reviewers = []
    usernames = {"science-technology": "dept_kj", "development-reform": "dept_fg", "industry-it": "dept_gx"}
    for department in Department.objects.filter(is_active=True, joins_joint_review=True).order_by("position"):
        user = maker.make(usernames.get(department.code, f"dept_{department.code}"), person(rng),
                          Role.DEPARTMENT_REVIEWER, rng=rng)
        DepartmentMembership.objects.create(user=user, department=department)
        department_reviewers.append(user)
    district_reviewer = maker.make("district", "孙志强", Role.DISTRICT_REVIEWER, rng=rng,
                                   district=District.objects.get(name="张店区"))
    liaisons = [maker.make("liaison", "赵文博", Role.LIAISON, rng=rng),
                maker.make("liaison2", "郑红霞", Role.LIAISON, rng=rng)]
    return Cast(admin=admin, officer=officer, officer2=officer2, experts=[],
                department_reviewers=department_reviewers, district_reviewer=district_reviewer, liaisons=liaisons)


EXPERT_NAMES = ["陈立新", "高振华", "林思远", "何雪梅", "郭德胜", "罗宏伟", "梁春梅", "宋浩然", "谢晓东", "韩玉兰",
                "唐嘉琪", "冯子涵"]
SPECIALTIES = ["材料科学与工程", "化学工程", "电子信息", "环境工程", "药学", "机械工程", "技术经济"]


def build_experts(rng: random.Random, maker: UserMaker, *, affiliations: list) -> list[ExpertProfile]:
    """The expert pool: each expert works for one of ``affiliations`` (a unit, or a name from outside Zibo)."""
    sectors = list(Sector.objects.filter(is_active=True))
    experts = []
    for number, full_name in enumerate(EXPERT_NAMES, start=1):
        affiliation = affiliations[(number - 1) % len(affiliations)]
        in_portal = not isinstance(affiliation, str)
        user = maker.make("expert" if number == 1 else f"expert{number}", full_name, Role.EXPERT, rng=rng)
        profile = ExpertProfile.objects.create(
            user=user, affiliation=affiliation if in_portal else None,
            affiliation_name=affiliation.name if in_portal else affiliation,
            title=rng.choice(names.PROFESSIONAL_TITLES[:3]), phone=user.phone, specialty=rng.choice(SPECIALTIES),
        )
        # Every expert covers three sectors, so that each application finds enough of them; the first
        # (the "expert" demo login) covers all, so that they have work in every stage.
        profile.sectors.set(sectors if number == 1 else rng.sample(sectors, min(len(sectors), 3)))
        experts.append(profile)
    return experts
