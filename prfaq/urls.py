from django.contrib import admin
from django.urls import include, path

from accounts import views as accounts_views
from prfaq import views
from reviews import views as reviews_views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("healthz/live", views.live, name="live"),
    path("accounts/", include("accounts.urls")),
    path("teams/<slug:slug>/", accounts_views.team_detail, name="team-detail"),
    path("teams/<slug:slug>/invite/", accounts_views.team_invite, name="team-invite"),
    path(
        "teams/<slug:slug>/members/<int:membership_id>/role/",
        accounts_views.membership_role,
        name="membership-role",
    ),
    path(
        "teams/<slug:slug>/members/<int:membership_id>/remove/",
        accounts_views.membership_remove,
        name="membership-remove",
    ),
    path(
        "teams/<slug:slug>/invitations/<int:invitation_id>/revoke/",
        accounts_views.invitation_revoke,
        name="invitation-revoke",
    ),
    path("invitations/<str:token>/", accounts_views.invitation_accept, name="invitation-accept"),
    path("proposals/", views.proposal_list, name="proposal-list"),
    path("proposals/new/", views.proposal_new, name="proposal-new"),
    path("proposals/import/", views.proposal_import, name="proposal-import"),
    path("proposals/<int:proposal_id>/", views.proposal_memo, name="proposal-memo"),
    path(
        "proposals/<int:proposal_id>/steps/<str:step_slug>/",
        views.proposal_step,
        name="proposal-step",
    ),
    path("proposals/<int:proposal_id>/preview/", views.markdown_preview, name="markdown-preview"),
    path("proposals/<int:proposal_id>/history/", views.proposal_history, name="proposal-history"),
    path("proposals/<int:proposal_id>/diff/", views.proposal_diff, name="proposal-diff"),
    path(
        "proposals/<int:proposal_id>/revisions/<int:number>/",
        views.revision_detail,
        name="revision-detail",
    ),
    path(
        "proposals/<int:proposal_id>/revisions/<int:number>/export.md",
        views.revision_export,
        name="revision-export",
    ),
    path(
        "proposals/<int:proposal_id>/revisions/<int:number>/restore/",
        views.revision_restore,
        name="revision-restore",
    ),
    path("proposals/<int:proposal_id>/owner/", views.proposal_owner, name="proposal-owner"),
    path("proposals/<int:proposal_id>/submit/", views.proposal_submit, name="proposal-submit"),
    path(
        "proposals/<int:proposal_id>/acknowledge/",
        views.finding_acknowledge,
        name="finding-acknowledge",
    ),
    path(
        "proposals/<int:proposal_id>/withdraw/", views.proposal_withdraw, name="proposal-withdraw"
    ),
    path(
        "proposals/<int:proposal_id>/unplaced/clear/",
        views.proposal_unplaced_clear,
        name="proposal-unplaced-clear",
    ),
    path("reviews/", reviews_views.review_queue, name="review-queue"),
    path("notifications/", reviews_views.notifications, name="notifications"),
    path("proposals/<int:proposal_id>/rounds/new/", reviews_views.round_new, name="round-new"),
    path(
        "proposals/<int:proposal_id>/rounds/<int:number>/",
        reviews_views.round_detail,
        name="round-detail",
    ),
    path(
        "proposals/<int:proposal_id>/rounds/<int:number>/start/",
        reviews_views.reading_start,
        name="reading-start",
    ),
    path(
        "proposals/<int:proposal_id>/rounds/<int:number>/done/",
        reviews_views.reading_done,
        name="reading-done",
    ),
    path(
        "proposals/<int:proposal_id>/rounds/<int:number>/comments/",
        reviews_views.comment_create,
        name="comment-create",
    ),
    path(
        "proposals/<int:proposal_id>/rounds/<int:number>/comments/<str:comment_key>/resolve/",
        reviews_views.comment_resolve,
        name="comment-resolve",
    ),
    path(
        "proposals/<int:proposal_id>/rounds/<int:number>/decision/",
        reviews_views.decision_record,
        name="decision-record",
    ),
    path(
        "proposals/<int:proposal_id>/rounds/<int:number>/<slug:action>/",
        reviews_views.round_action,
        name="round-action",
    ),
    path(
        "teams/<slug:slug>/rings/<int:ring_id>/",
        reviews_views.ring_update,
        name="ring-update",
    ),
    path("funnel/", views.funnel_view, name="funnel"),
    path("proposals/<int:proposal_id>/contract/", views.contract_detail, name="proposal-contract"),
    path("proposals/<int:proposal_id>/launch/", views.proposal_launch, name="proposal-launch"),
    path("proposals/<int:proposal_id>/outcome/", views.proposal_outcome, name="proposal-outcome"),
    path(
        "proposals/<int:proposal_id>/metrics/<int:metric_id>/readings/",
        views.metric_reading,
        name="metric-reading",
    ),
    path("admin/", admin.site.urls),
]
