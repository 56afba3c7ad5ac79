"""Family members in the 2C résumé's order (Bố, Mẹ, Vợ/chồng, Con, Anh chị em ruột, then the
spouse's side): ordering only, no schema change."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0010_person_name_word_deferrable'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='familyrelation',
            options={'ordering': ['person', 'spouse_side', models.OrderBy(models.Case(models.When(relation='bo', then=0), models.When(relation='me', then=1), models.When(relation='vo_chong', then=2), models.When(relation='con', then=3), models.When(relation='anh_chi_em', then=4), models.When(relation='bo_vo_chong', then=5), models.When(relation='me_vo_chong', then=6), models.When(relation='anh_chi_em_vo_chong', then=7), models.When(relation='khac', then=8), default=9, output_field=models.PositiveSmallIntegerField())), 'birth_year', 'id'], 'verbose_name': 'quan hệ gia đình', 'verbose_name_plural': 'quan hệ gia đình'},
        ),
    ]
