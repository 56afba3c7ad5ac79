"""The body that held a confidence vote becomes a field (issue 20): Party committee, People's
Council or another meeting, set for the existing rows from the meeting's wording."""

from typing import Any

from django.db import migrations, models


def classify(label: str) -> str:
    # A copy of ``assessment.models.vote_body_of`` as of this migration (migrations do not import
    # code that may change later).
    text = " ".join(label.lower().replace("uỷ", "ủy").split())
    if "hội đồng nhân dân" in text or "hđnd" in text:
        return "hdnd"
    party = ("ban chấp hành", "bch", "cấp ủy", "đảng ủy", "đảng bộ", "huyện ủy", "tỉnh ủy", "thành ủy")
    if any(w in text for w in party):
        return "cap_uy"
    return "khac"


def set_body_kind(apps: Any, schema_editor: Any) -> None:
    ConfidenceVote = apps.get_model("assessment", "ConfidenceVote")
    labels = ConfidenceVote.objects.values_list("body", flat=True).distinct()
    for label in list(labels):
        ConfidenceVote.objects.filter(body=label).update(body_kind=classify(label))


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0003_award_achievement"),
    ]

    operations = [
        migrations.AddField(
            model_name="confidencevote",
            name="body_kind",
            field=models.CharField(
                choices=[
                    ("cap_uy", "Hội nghị Ban Chấp hành đảng bộ"),
                    ("hdnd", "Kỳ họp Hội đồng nhân dân"),
                    ("khac", "Hội nghị khác"),
                ],
                default="khac",
                max_length=8,
                verbose_name="cơ quan lấy phiếu",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(set_body_kind, migrations.RunPython.noop),
    ]
