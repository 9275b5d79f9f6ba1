"""Site views of the app, one module per stage; they validate with a form, call a service, render or redirect."""

from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache


@never_cache
def server_time(request):
    """The server's clock, so countdowns on cached pages correct a wrong device clock."""
    return JsonResponse({"now": timezone.now().isoformat()})
