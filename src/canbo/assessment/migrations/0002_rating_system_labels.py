"""Ratings get labels of their own (RatingSystem) instead of the discipline ones ("Kỷ luật
chính quyền"); the stored codes stay the same, so no data changes."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assessment', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='rating',
            name='system',
            field=models.CharField(choices=[('dang', 'Xếp loại đảng viên'), ('chinh_quyen', 'Xếp loại cán bộ, công chức, viên chức'), ('doan_the', 'Xếp loại đoàn viên, hội viên')], max_length=12, verbose_name='loại đánh giá'),
        ),
    ]
