from django.urls import path

from tests.testapp import session_views, views

urlpatterns = [
    path("counter/", views.CounterView.as_live_view()),
    path("items/<int:pk>/", views.ItemView.as_live_view()),
    path("clock/", views.ClockView.as_live_view()),
    path("session/list/", session_views.ListView.as_live_view()),
    path("session/detail/<int:pk>/", session_views.DetailView.as_live_view()),
    path("session/broken/", session_views.BrokenMountView.as_live_view()),
    path("session/state/", session_views.StateView.as_live_view()),
    path("session/opaque/", session_views.OpaqueStateView.as_live_view()),
    path("session/plain/", session_views.plain),
    path("session/flash/", session_views.FlashSourceView.as_live_view()),
    path("session/flashed/", session_views.FlashedView.as_live_view()),
]

# The contract suite's views (tests/session/).
from tests.testapp import contract_views  # noqa: E402

urlpatterns += [
    path("contract/counter/", contract_views.CounterView.as_live_view()),
    path("contract/mounts/", contract_views.MountCountView.as_live_view()),
    path("contract/fragile/", contract_views.FragileView.as_live_view()),
    path("contract/paged/", contract_views.PagedView.as_live_view()),
    path("contract/detail/<int:pk>/", contract_views.DetailView.as_live_view()),
    path("contract/nav/", contract_views.NavView.as_live_view()),
    path("contract/flashed/", contract_views.FlashedView.as_live_view()),
    path("contract/info/", contract_views.InfoView.as_live_view()),
    path("contract/board/", contract_views.BoardView.as_live_view()),
    path("contract/plain/", contract_views.plain),
]

# The security suite's views (tests/security/).
from tests.testapp import security_views  # noqa: E402

urlpatterns += [
    path("security/public/", security_views.PublicView.as_live_view()),
    path("security/private/", security_views.PrivateView.as_live_view()),
    path("security/staff/", security_views.StaffView.as_live_view()),
    path("security/limited/", security_views.LimitedView.as_live_view()),
    path("security/notes/", security_views.NoteView.as_live_view()),
]

# The pub/sub, timer and task contract views (tests/session/test_pubsub.py).
from tests.testapp import pubsub_views  # noqa: E402

urlpatterns += [
    path("contract/room/", pubsub_views.RoomView.as_live_view()),
    path("contract/news/", pubsub_views.NewsView.as_live_view()),
    path("contract/publish/", pubsub_views.publish),
    path("contract/pubsub-state/", pubsub_views.pubsub_state),
    path("contract/gate/", pubsub_views.GateView.as_live_view()),
]
