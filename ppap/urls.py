app_name = "ppap"

urlpatterns = []
