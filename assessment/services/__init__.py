from .results import final_result_record, final_results_record, module_grades_save, parse_score

__all__ = ["final_result_record", "final_results_record", "module_grades_save", "parse_score"]
