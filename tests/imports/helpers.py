"""Build import files the way councils' systems write them."""

import csv
import io

from openpyxl import Workbook

HEADER = [
    "local_reference",
    "forenames",
    "surname",
    "date_of_birth",
    "sex",
    "address_line",
    "town",
    "postcode",
    "national_insurance",
    "driving_licence_number",
    "previous_names",
    "licence_type",
    "licence_number",
    "licence_status",
    "licence_start",
    "licence_expiry",
]


def person_row(n: int, **overrides) -> dict:
    row = {
        "local_reference": f"REF{n:05d}",
        "forenames": "Alex",
        "surname": f"Importer{chr(65 + n % 26)}son{n}",
        "date_of_birth": f"{(n % 28) + 1:02d}/0{(n % 9) + 1}/19{60 + n % 40}",
        "sex": "M",
        "address_line": f"{n} Mill Lane",
        "town": "High Wycombe",
        "postcode": "HP11 2BZ",
        "national_insurance": "",
        "driving_licence_number": "",
        "previous_names": "",
        "licence_type": "private_hire_driver",
        "licence_number": f"PH{n:05d}",
        "licence_status": "granted",
        "licence_start": "2025-01-01",
        "licence_expiry": "2028-01-01",
    }
    row.update(overrides)
    return row


def csv_file(rows: list[dict], header: list[str] | None = None, encoding: str = "utf-8") -> bytes:
    header = header or list(rows[0]) if rows else (header or HEADER)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "") for h in header])
    return buffer.getvalue().encode(encoding)


def xlsx_file(rows: list[dict], header: list[str] | None = None) -> bytes:
    header = header or list(rows[0])
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(h, "") for h in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
