from django.db import models


class SupervisionSector(models.Model):
    """A supervision sector (监管行业领域): 危险化学品生产, 粉尘涉爆, 有限空间 …

    One vocabulary for the whole platform: items say which sectors they apply to, the
    enterprise register says which sectors an enterprise belongs to, and a campaign matches
    the two. Entries are renamed or deactivated, never deleted, so old records still resolve.
    """

    code = models.CharField(
        "编码",
        max_length=30,
        unique=True,
        help_text="稳定的英文编码，供数据交换使用，如 hazchem_production。",
    )
    name = models.CharField("名称", max_length=50, unique=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "监管行业领域"
        verbose_name_plural = "监管行业领域"
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name
