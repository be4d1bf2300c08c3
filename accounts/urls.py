from . import two_factor_views, views

app_name = "accounts"

urlpatterns = [*views.routes.patterns, *two_factor_views.routes.patterns]
