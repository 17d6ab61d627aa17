from django.shortcuts import redirect, render


def home(request):
    user = request.user
    if user.is_authenticated:
        if user.is_staff:
            # A trainer starts the day with their sessions; other staff in the back-office.
            return redirect("enrolment:trainer_home" if hasattr(user, "trainer") else "admin:index")
        return redirect("enrolment:cabinet")
    return render(request, "home.html")
