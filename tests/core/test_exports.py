import io

import pytest
from openpyxl import load_workbook

from shijiazhuang_sr.core.exports import csv_response, safe_cell, xlsx_response


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_it_neutralises_formula_cells(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["张三", "13010020001", 5, None, "a=b"])
def test_it_leaves_other_values_alone(value):
    assert safe_cell(value) == value


def test_the_xlsx_download_has_a_chinese_file_name_and_safe_cells():
    response = xlsx_response("执法人员.xlsx", ["姓名"], [['=HYPERLINK("x")']])
    assert "filename*=UTF-8''%E6%89%A7" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == '\'=HYPERLINK("x")'


def test_the_csv_download_starts_with_a_bom_for_excel():
    response = csv_response("x.csv", ["姓名"], [["-2+3"]])
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff姓名")
    assert "'-2+3" in body
