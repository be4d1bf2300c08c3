from django.urls import path

from . import views

app_name = "customers"

urlpatterns = [
    path("customers/", views.customer_list, name="customer-list"),
    path("parts/", views.part_list, name="part-list"),
    path("plants/", views.plant_list, name="plant-list"),
]
