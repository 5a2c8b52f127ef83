from leads.admin.import_history import LeadImportAdmin
from leads.admin.lead_admin import LeadAdmin
from leads.admin.reference_admin import CategoryAdmin, LocationAdmin, ScrapeRunAdmin
from leads.admin.suppression_admin import SuppressionAdmin

__all__ = ["CategoryAdmin", "LeadAdmin", "LeadImportAdmin", "LocationAdmin", "ScrapeRunAdmin", "SuppressionAdmin"]
