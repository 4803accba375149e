"""The gazetteer read without cpca's DataFrame gives what ``cpca.transform`` gives.

``identity.gazetteer_record`` takes cpca's record of a text directly (``cpca._get_one_addr``),
where ``cpca.transform`` wraps the same record in a pandas DataFrame at 2 ms a call. These tests
hold the two ways to the same values, and ``resolve_region`` to the same answers, over real
department names, bare regions, central and unresolvable names, and the synthetic corpus's
regions.
"""

from __future__ import annotations

import cpca
import pytest

from ingest.parse.extractors import identity
from tools.synthetic.corpus import REGIONS

NAMES = [
    "上海市普陀区财政局",
    "上海市普陀区万里街道办事处",
    "上海市财政局",
    "江苏省委办公厅",
    "中共江苏省委办公厅",
    "江苏省人民检察院",
    "湖州市退役军人事务局",
    "深圳市交通运输局（本级）",
    "重庆市渝中区教育委员会",
    "四川省遂宁市安居区人力资源和社会保障局",
    "长春市信访局",
    "教育部",
    "国家统计局",
    "财政局",
    "管理局",
    "合成样本零零零零四二号局",
    "",
    "2024年度部门决算",
]


def _through_transform(text: str) -> dict:
    return cpca.transform([text]).iloc[0].to_dict()


@pytest.mark.parametrize("text", NAMES + [region + "财政局" for region in REGIONS] + list(REGIONS))
def test_record_is_what_transform_gives(text):
    assert identity.gazetteer_record(text) == _through_transform(text)


def test_resolve_region_answers_the_same_through_transform(monkeypatch):
    texts = NAMES + [region + "教育局" for region in REGIONS]
    direct = [identity.resolve_region.__wrapped__(text, "") for text in texts]
    monkeypatch.setattr(identity, "gazetteer_record", _through_transform)
    assert [identity.resolve_region.__wrapped__(text, "") for text in texts] == direct
    # and the answers are those of the division table: a district of a municipality, a province alone
    assert direct[0] == ("上海市", "上海市", "普陀区", "county", "310107")
    assert direct[3] == ("江苏省", None, None, "province", "320000")
    assert direct[NAMES.index("财政局")] == (None, None, None, None, None)
