from django.shortcuts import render


def customer_list(request):
    return render(request, "customers/customer_list.html", {})


def part_list(request):
    return render(request, "customers/part_list.html", {})


def plant_list(request):
    return render(request, "customers/plant_list.html", {})
