"""The receiver closing over the request is connected with Django's default weak=True, so the signal holds it only weakly and it dies with the view call."""
from django.contrib import messages
from django.dispatch import Signal, receiver
from django.shortcuts import redirect

points_granted = Signal()


def user_edit(request, user_id):
    @receiver(points_granted)
    def notify_reward_points(grantings, **_kwargs):
        for granting in grantings:
            messages.info(request, f"{granting.value} reward points granted to {granting.user}.")

    form_user = request.POST.get("user")
    if form_user:
        points_granted.send(sender=None, grantings=[])
    return redirect("staff:user_index")
