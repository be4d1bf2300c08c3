from . import two_factor_views, user_views, views

app_name = "accounts"

urlpatterns = [
    *views.routes.patterns,
    *two_factor_views.routes.patterns,
    *user_views.routes.patterns,
]
