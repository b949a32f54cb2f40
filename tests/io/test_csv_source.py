"""CSV sources: text kept exactly, encodings detected, every problem located."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from migrate.errors import SourceError
from migrate.io.encoding import WINDOW_BYTES, detect_encoding
from migrate.io.sources import check_source, iter_source, read_source
from tests.io.helpers import assert_all_text, records, spec

CHINESE = (
    "客户编号,客户名称,地址,电话,备注\n"
    "00123,北京华为技术有限公司（总部）,北京市海淀区中关村１２３号,010-12345678,NA\n"
    "00456,上海𠮷野家餐饮管理有限公司,上海市浦东新区ＡＢＣ路４５６号,,NULL\n"
    "007,广州市天河区软件园　有限公司,,020-88889999, \n"
)


def write(path: Path, text: str, encoding: str) -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_gb18030_file_is_detected_and_text_kept_exactly(tmp_path: Path) -> None:
    write(tmp_path / "customers.csv", CHINESE, "gb18030")
    frame = read_source(spec("csv", path="customers.csv", key=("客户编号",)), tmp_path)

    assert_all_text(frame)
    assert list(frame.columns) == ["客户编号", "客户名称", "地址", "电话", "备注"]
    assert records(frame) == [
        {
            "客户编号": "00123",
            "客户名称": "北京华为技术有限公司（总部）",
            "地址": "北京市海淀区中关村１２３号",
            "电话": "010-12345678",
            "备注": "NA",
        },
        {
            "客户编号": "00456",
            "客户名称": "上海𠮷野家餐饮管理有限公司",
            "地址": "上海市浦东新区ＡＢＣ路４５６号",
            "电话": None,
            "备注": "NULL",
        },
        {
            "客户编号": "007",
            "客户名称": "广州市天河区软件园　有限公司",
            "地址": None,
            "电话": "020-88889999",
            "备注": " ",
        },
    ]


def test_detection_prefers_gb18030_over_gbk(tmp_path: Path) -> None:
    # Plain GBK bytes (no GB18030-only characters): the guess is widened.
    text = "编号,名称\n" + "".join(
        f"{i:05d},深圳市南山区科技园有限公司第{i}分公司\n" for i in range(50)
    )
    path = write(tmp_path / "gbk.csv", text, "gbk")
    assert detect_encoding(path, "gbk.csv") == "gb18030"


@pytest.mark.parametrize("text", ["螺栓", "螺母,垫圈", "北京恒通精密机械有限公司"])
def test_a_very_short_gb18030_file_is_not_taken_for_korean(tmp_path: Path, text: str) -> None:
    path = write(tmp_path / "short.csv", f"ID,NAME\r\n1,{text}\r\n", "gb18030")
    assert detect_encoding(path, "short.csv") == "gb18030"


def test_a_long_korean_file_is_still_detected_as_korean(tmp_path: Path) -> None:
    line = "1,서울특별시 중구 세종대로 주식회사 한국전자 고객 명단입니다\r\n"
    path = write(tmp_path / "ko.csv", "ID,NAME\r\n" + line * 40, "euc_kr")
    assert detect_encoding(path, "ko.csv") in ("euc_kr", "cp949")


def test_detection_looks_past_an_ascii_head(tmp_path: Path) -> None:
    ascii_rows = "".join(f"{i:06d},plain ascii row\n" for i in range(WINDOW_BYTES // 10))
    chinese_rows = "".join(f"{i:06d},杭州市西湖区文三路有限公司\n" for i in range(40))
    write(tmp_path / "late.csv", "id,name\n" + ascii_rows + chinese_rows, "gb18030")

    frame = read_source(spec("csv", path="late.csv"), tmp_path)

    assert frame["name"].iloc[-1] == "杭州市西湖区文三路有限公司"
    assert frame["id"].iloc[0] == "000000"


def test_utf8_bom_and_padding_are_stripped_from_column_names(tmp_path: Path) -> None:
    write(tmp_path / "bom.csv", "\ufeff id , 名称 \n0001,张三\n", "utf-8")
    frame = read_source(spec("csv", path="bom.csv", key=("id",)), tmp_path)
    assert list(frame.columns) == ["id", "名称"]
    assert records(frame) == [{"id": "0001", "名称": "张三"}]


def test_explicit_encoding_is_used(tmp_path: Path) -> None:
    write(tmp_path / "c.csv", CHINESE, "gb18030")
    frame = read_source(spec("csv", path="c.csv", encoding="GB18030"), tmp_path)
    assert frame["客户名称"].iloc[1] == "上海𠮷野家餐饮管理有限公司"


def test_wrong_explicit_encoding_names_file_offset_and_line(tmp_path: Path) -> None:
    write(tmp_path / "c.csv", "id,name\n0001,plain\n0002,张三\n", "gb18030")
    source = spec("csv", path="c.csv", encoding="utf-8")
    offset = len(b"id,name\n0001,plain\n0002,")

    with pytest.raises(SourceError) as caught:
        read_source(source, tmp_path)

    message = str(caught.value)
    assert str(tmp_path / "c.csv") in message
    assert f"byte offset {offset}" in message
    assert "line 3" in message
    assert caught.value.row == 3


def test_file_in_no_encoding_is_refused_with_offset(tmp_path: Path) -> None:
    (tmp_path / "binary.csv").write_bytes(b"id,name\n1,ok\n2,\x80\xff\xfe\x81\x00\xff\xfe\n")
    source = spec("csv", path="binary.csv")

    for call in (read_source, check_source):
        with pytest.raises(SourceError) as caught:
            call(source, tmp_path)
        message = str(caught.value)
        assert "binary.csv" in message
        assert "byte offset 15" in message
        assert caught.value.row == 3


def test_unknown_encoding_name(tmp_path: Path) -> None:
    write(tmp_path / "c.csv", "a\n1\n", "ascii")
    with pytest.raises(SourceError, match="unknown encoding 'klingon'"):
        read_source(spec("csv", path="c.csv", encoding="klingon"), tmp_path)


@pytest.mark.parametrize(
    ("line", "fields"), [("4,5,6,7", 4), ("4", 1)], ids=["too-many", "too-few"]
)
def test_ragged_row_names_its_line(tmp_path: Path, line: str, fields: int) -> None:
    write(tmp_path / "ragged.csv", f"a,b,c\n1,2,3\n\n{line}\n8,9,10\n", "utf-8")
    with pytest.raises(SourceError) as caught:
        read_source(spec("csv", path="ragged.csv"), tmp_path)
    assert caught.value.row == 4
    assert f"line 4 has {fields} field" in str(caught.value)
    assert "ragged.csv" in str(caught.value)


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as caught:
        check_source(spec("csv", path="exports/nowhere.csv"), tmp_path)
    assert str(tmp_path / "exports" / "nowhere.csv") in str(caught.value)
    assert "not found" in str(caught.value)


def test_missing_key_column_names_file_column_and_columns_found(tmp_path: Path) -> None:
    write(tmp_path / "c.csv", "id,name\n1,x\n", "utf-8")
    source = spec("csv", path="c.csv", key=("customer_no",), columns=("name", "city"))

    for call in (read_source, check_source):
        with pytest.raises(SourceError) as caught:
            call(source, tmp_path)
        message = str(caught.value)
        assert "c.csv" in message
        assert "'customer_no'" in message and "'city'" in message
        assert "columns found: 'id', 'name'" in message


def test_duplicate_header_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "dup.csv", "id,name, id\n1,x,2\n", "utf-8")
    with pytest.raises(SourceError, match=r"duplicate column name 'id' \(columns 1 and 3\)"):
        check_source(spec("csv", path="dup.csv"), tmp_path)


def test_blank_header_name_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "blank.csv", "id,,name\n1,2,3\n", "utf-8")
    with pytest.raises(SourceError, match="column 2 of the header has no name"):
        read_source(spec("csv", path="blank.csv"), tmp_path)


def test_empty_file_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "empty.csv", "", "utf-8")
    with pytest.raises(SourceError, match="no header"):
        check_source(spec("csv", path="empty.csv"), tmp_path)


def test_header_only_gives_an_empty_text_frame(tmp_path: Path) -> None:
    write(tmp_path / "h.csv", "id,name\n", "utf-8")
    frame = read_source(spec("csv", path="h.csv", key=("id",)), tmp_path)
    assert list(frame.columns) == ["id", "name"]
    assert len(frame) == 0
    assert_all_text(frame)


def test_quoted_fields_keep_delimiters_quotes_and_newlines(tmp_path: Path) -> None:
    text = 'id;note\n"0042";"a;b ""quoted""\nsecond line"\n0043;""\n'
    write(tmp_path / "q.csv", text, "utf-8")
    frame = read_source(spec("csv", path="q.csv", delimiter=";"), tmp_path)
    assert records(frame) == [
        {"id": "0042", "note": 'a;b "quoted"\nsecond line'},
        {"id": "0043", "note": None},
    ]


def test_tab_delimiter_by_name(tmp_path: Path) -> None:
    write(tmp_path / "t.tsv", "id\tname\n01\tx,y\n", "utf-8")
    frame = read_source(spec("csv", path="t.tsv", delimiter="\\t"), tmp_path)
    assert records(frame) == [{"id": "01", "name": "x,y"}]


def test_bad_quoting_names_its_line(tmp_path: Path) -> None:
    write(tmp_path / "bad.csv", 'id,name\n1,ok\n2,"open"x\n', "utf-8")
    with pytest.raises(SourceError) as caught:
        read_source(spec("csv", path="bad.csv"), tmp_path)
    assert caught.value.row == 3


def test_chunked_iteration_returns_the_same_rows_as_a_whole_read(tmp_path: Path) -> None:
    rows = "".join(f"{i:07d},名称{i},{'' if i % 7 == 0 else i * 1.5}\n" for i in range(2503))
    write(tmp_path / "big.csv", "id,name,amount\n" + rows, "gb18030")
    source = spec("csv", path="big.csv", key=("id",))

    chunks = list(iter_source(source, tmp_path, 1000))
    whole = read_source(source, tmp_path)

    assert [len(c) for c in chunks] == [1000, 1000, 503]
    pd.testing.assert_frame_equal(pd.concat(chunks, ignore_index=True), whole)
    assert whole["amount"].iloc[3] == "4.5"
    assert whole["amount"].isna().sum() == len(range(0, 2503, 7))


def test_check_source_accepts_a_good_file(tmp_path: Path) -> None:
    write(tmp_path / "c.csv", CHINESE, "gb18030")
    check_source(spec("csv", path="c.csv", key=("客户编号",), columns=("客户名称",)), tmp_path)


def test_absolute_path_is_used_as_is(tmp_path: Path) -> None:
    path = write(tmp_path / "abs.csv", "id\n1\n", "utf-8")
    frame = read_source(spec("csv", path=str(path)), tmp_path / "elsewhere")
    assert records(frame) == [{"id": "1"}]


def test_unknown_kind_lists_the_valid_ones(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"unknown source kind 'dbf' \(valid: csv, excel"):
        check_source(spec("dbf", path="x.dbf"), tmp_path)


def test_short_chinese_file_is_read_as_gb18030(tmp_path: Path) -> None:
    # Two names are too little for charset-normalizer to tell GB18030 from Big5/CP949.
    write(tmp_path / "short.csv", "id,name\n1,张三\n2,李四\n", "gb18030")
    assert records(read_source(spec("csv", path="short.csv"), tmp_path)) == [
        {"id": "1", "name": "张三"},
        {"id": "2", "name": "李四"},
    ]


def test_utf16_with_bom_is_detected(tmp_path: Path) -> None:
    write(tmp_path / "unicode.txt", "id\tname\r\n0001\t张三\r\n", "utf-16")
    frame = read_source(spec("csv", path="unicode.txt", delimiter="tab"), tmp_path)
    assert records(frame) == [{"id": "0001", "name": "张三"}]
