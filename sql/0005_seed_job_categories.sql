-- 0005 — the job categories of CONTRACT.md §2.1. The list is data: a center
-- adds its own codes with INSERT; these rows are only the starting set.
INSERT INTO job_category (code, name) VALUES
    ('cleaner_rural', '乡村保洁员'), ('water_manager', '水管员'), ('road_keeper', '护路员'),
    ('forest_ranger', '生态护林员'), ('relief_assistant', '社会救助协理员'),
    ('library_keeper', '农家书屋管理员'), ('community_service', '社区服务人员'), ('office', '文员'),
    ('agriculture', '种植养殖'), ('massage_medical', '盲人医疗按摩'), ('massage_health', '盲人保健按摩'),
    ('online_service', '网络客服'), ('livestream', '直播带货'), ('courier', '物流快递'),
    ('handicraft', '手工制作'), ('assembly', '生产装配'), ('retail', '小店经营'), ('other', '其他')
ON CONFLICT (code) DO NOTHING;
