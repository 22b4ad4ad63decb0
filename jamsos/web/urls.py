from django.contrib.auth import views as auth_views
from django.urls import path

from jamsos.web import (
    claim_pages,
    money_pages,
    officer_pages,
    project_pages,
    registration,
    registry_pages,
    report_pages,
    simulator,
    views,
)

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path(
        "masuk/",
        auth_views.LoginView.as_view(
            template_name="web/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("pemberi-kerja/", views.employer_list, name="employers"),
    path("pemberi-kerja/<int:employer_id>/", views.employer_detail, name="employer"),
    path(
        "pemberi-kerja/<int:employer_id>/verifikasi/",
        views.employer_verify_view,
        name="employer_verify",
    ),
    path("audit/", views.audit_list, name="audit"),
    path(
        "pemberi-kerja/<int:employer_id>/tagihan/",
        money_pages.employer_statement_page,
        name="employer_statement",
    ),
    path("tagihan/<str:payment_code>/", money_pages.bill_page, name="bill"),
    path("tunggakan/", money_pages.arrears_page, name="arrears"),
    path("laporan/", report_pages.reports_page, name="reports"),
    path("laporan/baris/", report_pages.report_rows_page, name="report_rows"),
    path("laporan/kepatuhan/", report_pages.compliance_page, name="compliance"),
    path(
        "laporan/kepatuhan/<str:npp>/",
        report_pages.compliance_rows_page,
        name="compliance_rows",
    ),
    path("laporan/ringkasan/", report_pages.regional_page, name="regional"),
    path("penagihan/", money_pages.billing_run_page, name="billing_run"),
    path("kartu/", money_pages.my_cards_page, name="my_cards"),
    path("antrean/", officer_pages.queues_page, name="queues"),
    path("klaim/", claim_pages.my_claims_page, name="claims"),
    path("kecelakaan/", claim_pages.accidents_page, name="accidents"),
    path("kecelakaan/<str:number>/tutup/", claim_pages.accident_close_view, name="accident_close"),
    path("kecelakaan/<str:number>/stmb/", claim_pages.accident_stmb_view, name="accident_stmb"),
    path("klaim/baru/", claim_pages.claim_new_page, name="claim_new"),
    path("klaim/antrean/", claim_pages.claim_queue_page, name="claim_queue"),
    path(
        "klaim/dokumen/<int:document_id>/",
        claim_pages.claim_document_download,
        name="claim_document",
    ),
    path("klaim/<str:number>/", claim_pages.claim_page, name="claim"),
    path("klaim/<str:number>/tindakan/", claim_pages.claim_action_view, name="claim_action"),
    path(
        "klaim/<str:number>/dokumen/",
        claim_pages.claim_document_view,
        name="claim_document_upload",
    ),
    path(
        "antrean/upah/<int:wage_id>/setujui/", officer_pages.wage_approve_view, name="wage_approve"
    ),
    path("duplikat/", officer_pages.duplicates_page, name="duplicates"),
    path("duplikat/gabung/", officer_pages.merge_view, name="merge"),
    path("duplikat/gabung/<int:merge_id>/batal/", officer_pages.merge_undo_view, name="merge_undo"),
    path("proyek/", project_pages.project_list_page, name="projects"),
    path("proyek/baru/", project_pages.project_register_page, name="project_new"),
    path("proyek/<int:project_id>/", project_pages.project_page, name="project"),
    path(
        "proyek/<int:project_id>/pekerja/",
        project_pages.project_worker_add_view,
        name="project_worker_add",
    ),
    path(
        "proyek/<int:project_id>/pekerja/<int:worker_id>/berhenti/",
        project_pages.project_worker_end_view,
        name="project_worker_end",
    ),
    path("proyek/<int:project_id>/tagih/", project_pages.project_bill_view, name="project_bill"),
    path("pmi/baru/", project_pages.pmi_register_page, name="pmi_new"),
    path("pmi/<int:placement_id>/", project_pages.pmi_page, name="pmi"),
    path("pmi/<int:placement_id>/tagih/", project_pages.pmi_bill_view, name="pmi_bill"),
    path("kartu/<str:kpj>/bayar/", money_pages.member_pay_view, name="member_pay"),
    path("kartu/<str:kpj>/jht/", money_pages.jht_page, name="jht"),
    path("kartu/<str:kpj>/jht.pdf", money_pages.jht_pdf, name="jht_pdf"),
    path("kartu/<str:kpj>/kartu.pdf", money_pages.card_pdf, name="card_pdf"),
    path("peserta/", registry_pages.participant_search_page, name="participants"),
    path("peserta/<str:kpj>/", registry_pages.participant_page, name="participant"),
    path(
        "pemberi-kerja/<int:employer_id>/pekerja/",
        registry_pages.employer_workers_page,
        name="employer_workers",
    ),
    path("pemberi-kerja/<int:employer_id>/unggah/", registry_pages.upload_page, name="upload_new"),
    path(
        "pemberi-kerja/<int:employer_id>/unggah/templat.csv",
        registry_pages.upload_template,
        name="upload_template",
    ),
    path("unggahan/<int:upload_id>/", registry_pages.upload_result_page, name="upload"),
    path(
        "unggahan/<int:upload_id>/kesalahan.csv",
        registry_pages.upload_errors_download,
        name="upload_errors",
    ),
    path(
        "unggahan/<int:upload_id>/terapkan/",
        registry_pages.upload_finalise_view,
        name="upload_finalise",
    ),
    path("simulasi/iuran/", simulator.simulate_contribution_page, name="simulate_contribution"),
    path("simulasi/manfaat/", simulator.simulate_benefit_page, name="simulate_benefit"),
    path("daftar/", registration.bpu_registration_page, name="bpu_register"),
    path("sertakan/", registration.sponsor_page, name="sponsor"),
    path("daftar/<str:kpj>/verifikasi/", registration.bpu_verify_page, name="bpu_verify"),
]
