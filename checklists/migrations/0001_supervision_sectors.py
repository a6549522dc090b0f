# The supervision sectors vocabulary first, on its own: the enterprise register (campaigns)
# depends on this migration.

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name='SupervisionSector',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(help_text='稳定的英文编码，供数据交换使用，如 hazchem_production。', max_length=30, unique=True, verbose_name='编码')),
                ('name', models.CharField(max_length=50, unique=True, verbose_name='名称')),
                ('sort_order', models.PositiveSmallIntegerField(default=100, verbose_name='排序')),
                ('is_active', models.BooleanField(default=True, verbose_name='启用')),
            ],
            options={
                'verbose_name': '监管行业领域',
                'verbose_name_plural': '监管行业领域',
                'ordering': ['sort_order', 'name'],
            },
        ),
    ]
