from django.apps import AppConfig


class ListsConfig(AppConfig):
    name = "canbo.lists"
    label = "lists"
    verbose_name = "Danh sách"

    def ready(self) -> None:
        from canbo.lists.selectors import filtered_persons
        from canbo.people.panels import person_filter

        # The person API's list applies the list page's filters.
        person_filter.register(filtered_persons)
