#!/usr/bin/env python3
"""Writes a customer CSV for the import benchmark: N rows, every row a
different customer (unique phone, email and company branch, so no row
matches another), Chinese and English names, quoted notes with commas.
Usage: make_import_csv.py N > customers.csv"""
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
rng = random.Random(42)
surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"
first = ["James", "Mary", "John", "Linda", "David", "Sophie", "Hans", "Yuki", "Raj", "Anna"]
last = ["Smith", "Brown", "Lee", "Müller", "Dubois", "Tanaka", "Sharma", "Garcia", "Wilson"]
companies = ["上海华信科技有限公司", "北京中联物流有限公司", "Acme Inc", "Globex GmbH",
             "深圳恒通电子有限公司", "Initech Systems", "杭州瑞丰贸易有限公司"]
cities = [("中国", "上海", "上海"), ("中国", "广东", "深圳"), ("中国", "浙江", "杭州"),
          ("USA", "CA", "San Francisco"), ("Germany", "Berlin", "Berlin"), ("Japan", "Tokyo", "Tokyo")]
sources = ["website", "exhibition", "referral", "social media", "search ads", "store"]
out = sys.stdout
out.write("name,company,title,phones,emails,country,province,city,industry,size,source,needs,notes\n")
for i in range(n):
    if i % 2:
        name = rng.choice(surnames) + rng.choice(given) + (rng.choice(given) if i % 3 else "")
    else:
        name = f"{rng.choice(first)} {rng.choice(last)}"
    country, province, city = rng.choice(cities)
    out.write(
        f"{name},{rng.choice(companies)} {i},buyer,+86 1{30 + i % 60}{i:08d},"
        f"c{i}@example.com,{country},{province},{city},tech,{rng.randint(1, 5000)},"
        f"{rng.choice(sources)},after-sales,\"note {i}, asked for a quote\"\n"
    )
