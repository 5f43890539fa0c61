"""Anonymous by construction (docs/surveys.md, "Anonymity"): invitations lose "finished"
(ticking it at submission tied the invitation to the moment of sending), responses and
answers get random keys, and spent rights to start a response are recorded by nonce.
Existing responses and answers are re-keyed so that their old sequential ids (the order
they were written in) do not stay behind."""

import django.db.models.deletion
import vitaal.surveys.models.distribution
from django.db import migrations, models


def rekey(apps, schema_editor):
    """Give every existing response and answer a random key, moving the references with it
    (answers to their response, codings to their answer). Foreign keys are checked at the
    end of the transaction, so a row and its references can move one after the other."""
    from vitaal.surveys.models.distribution import random_pk

    SurveyResponse = apps.get_model("surveys", "SurveyResponse")
    Answer = apps.get_model("surveys", "Answer")
    Coding = apps.get_model("surveys", "Coding")
    AgreedCoding = apps.get_model("surveys", "AgreedCoding")
    for old in list(SurveyResponse.objects.values_list("pk", flat=True)):
        new = random_pk()
        SurveyResponse.objects.filter(pk=old).update(id=new)
        Answer.objects.filter(response_id=old).update(response_id=new)
    coded = set(Coding.objects.values_list("answer_id", flat=True))
    coded |= set(AgreedCoding.objects.values_list("answer_id", flat=True))
    for old in list(Answer.objects.values_list("pk", flat=True)):
        new = random_pk()
        Answer.objects.filter(pk=old).update(id=new)
        if old in coded:
            Coding.objects.filter(answer_id=old).update(answer_id=new)
            AgreedCoding.objects.filter(answer_id=old).update(answer_id=new)


class Migration(migrations.Migration):

    dependencies = [
        ('surveys', '0003_recommendationmatrix_matrixdecision'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='invitation',
            name='finished',
        ),
        migrations.AlterField(
            model_name='answer',
            name='id',
            field=models.BigIntegerField(default=vitaal.surveys.models.distribution.random_pk, editable=False, primary_key=True, serialize=False),
        ),
        migrations.AlterField(
            model_name='surveyresponse',
            name='id',
            field=models.BigIntegerField(default=vitaal.surveys.models.distribution.random_pk, editable=False, primary_key=True, serialize=False),
        ),
        migrations.CreateModel(
            name='UsedRight',
            fields=[
                ('nonce_hash', models.CharField(max_length=64, primary_key=True, serialize=False)),
                ('wave', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='surveys.wave')),
            ],
        ),
        migrations.RunPython(rekey, migrations.RunPython.noop),
    ]
