from django.shortcuts import redirect, render


def home(request):
    user = request.user
    if user.is_authenticated:
        if user.is_staff:
            return redirect("admin:index")
        return redirect("certificates:cabinet")
    return render(request, "home.html")
