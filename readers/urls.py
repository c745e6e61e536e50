from __future__ import annotations

from django.urls import path

from .views import follows, mail_events, notifications, subscriptions

app_name = "readers"

urlpatterns: list = [
    # Following and notifications
    path("@<str:username>/follow/", follows.follow, name="follow"),
    path("@<str:username>/followers/", follows.followers, name="followers"),
    path("following/", follows.following, name="following"),
    path("notifications/", notifications.notification_list, name="notifications"),
]

# --- E-mail subscriptions ----------------------------------------------------------------
urlpatterns += [
    path("@<str:username>/subscribe/", subscriptions.subscribe, name="subscribe"),
    path(
        "@<str:username>/subscribe/confirm/<str:token>/",
        subscriptions.subscription_confirm,
        name="subscription_confirm",
    ),
    path(
        "subscriptions/unsubscribe/<str:key>/",
        subscriptions.unsubscribe,
        name="unsubscribe",
    ),
    path("subscriptions/mail-events/", mail_events.mail_events, name="mail_events"),
]
# --- End of e-mail subscriptions ---------------------------------------------------------
