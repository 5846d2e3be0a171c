"""Run the building demand calculation for every building, in parallel."""
import multiprocessing as mp


def calc_thermal_loads(building_name, building_properties, weather_data, usage_schedules, date, gv, locator):
    props = building_properties[building_name]
    hours = len(weather_data["drybulb_C"])
    demand = [props["area_m2"] * gv.base_load_w_m2 * usage_schedules[h % len(usage_schedules)] for h in range(hours)]
    with open(locator.get_demand_results_file(building_name), "w") as f:
        f.write("\n".join(str(x) for x in demand))
    return building_name


def thermal_loads_all_buildings_multiprocessing(building_properties, weather_data, usage_schedules, date, locator, gv, list_building_names):
    with mp.Pool() as pool:
        joblist = []
        for name in list_building_names:
            job = pool.apply_async(calc_thermal_loads, [name, building_properties, weather_data, usage_schedules, date, gv, locator])
            joblist.append(job)
        for i, job in enumerate(joblist):
            job.get(240)
            print("Building No. %i completed out of %i" % (i + 1, len(list_building_names)))
        pool.close()
        pool.join()
