from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "canbo.campaigns"
    label = "campaigns"
    verbose_name = "Đợt đánh giá, xếp loại"
