"""Rights over plans, campaigns and draws.

Section chiefs plan for their own section (the selectors scope them); 局领导 and 综合执法四科
read every section's campaigns and approve; inspectors see the inspections they are in.
"""

from django.db import migrations

from shijiazhuang_sr.accounts.migration_utils import grant_operation

PLANNING = [
    "campaigns.view_annualplan",
    "campaigns.add_annualplan",
    "campaigns.change_annualplan",
    "campaigns.view_campaign",
    "campaigns.add_campaign",
    "campaigns.change_campaign",
    "campaigns.view_planadjustment",
    "campaigns.add_planadjustment",
    "campaigns.view_manifest",
    "campaigns.view_draw",
    "campaigns.view_inspection",
    "campaigns.draw_campaign",
]
READ_ALL = [
    "campaigns.view_annualplan",
    "campaigns.view_campaign",
    "campaigns.view_all_campaigns",
    "campaigns.view_planadjustment",
    "campaigns.view_manifest",
    "campaigns.view_draw",
    "campaigns.view_inspection",
]


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0004_campaigns_and_draws"),
        ("accounts", "0002_roles"),
    ]

    operations = [
        grant_operation(
            {
                "科室负责人": PLANNING,
                "综合执法四科": [
                    *READ_ALL,
                    "campaigns.approve_campaign",
                    "campaigns.draw_campaign",
                    "campaigns.change_planadjustment",
                ],
                "局领导": [*READ_ALL, "campaigns.approve_campaign",
                         "campaigns.change_planadjustment"],
                "执法人员": ["campaigns.view_inspection"],
            }
        ),
    ]
