from django.contrib.auth import views as auth_views
from django.shortcuts import render


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True


def home(request):
    """A to-do list per role for signed-in users; the public landing page for others."""
    if not request.user.is_authenticated:
        return render(request, "home_public.html")
    return render(request, "home.html", {"todo": []})


