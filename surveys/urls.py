from . import views

app_name = "surveys"

urlpatterns = views.routes.patterns
