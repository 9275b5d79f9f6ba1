from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("wagtail_awards", "0002_round_models"),
    ]

    operations = [
        migrations.AddField(
            model_name="callpage",
            name="scoring_method",
            field=models.CharField(
                choices=[
                    ("mean", "Mean of all reviewers"),
                    ("trimmed_mean", "Trimmed mean (drop the highest and lowest with 5 or more reviewers)"),
                ],
                default="mean",
                max_length=20,
                verbose_name="scoring method",
            ),
        ),
    ]
