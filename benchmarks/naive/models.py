"""The release's stop and call columns as Django models, indexed as a first attempt would be."""

from __future__ import annotations

from django.db import models


class Stop(models.Model):
    record_id = models.CharField(max_length=40)
    agency = models.CharField(max_length=60)
    occurred_month = models.CharField(max_length=7, db_index=True)
    occurred_hour = models.IntegerField(null=True)
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    area = models.CharField(max_length=60, blank=True)
    neighbourhood = models.CharField(max_length=60, db_index=True, blank=True)
    stop_type = models.CharField(max_length=40, blank=True)
    reason = models.CharField(max_length=100, blank=True)
    subject_age = models.IntegerField(null=True)
    subject_age_range = models.CharField(max_length=20, blank=True)
    subject_gender = models.CharField(max_length=20, blank=True)
    subject_race = models.CharField(max_length=40, blank=True)
    subject_race_raw = models.CharField(max_length=60, blank=True)
    subject_race_self = models.CharField(max_length=40, blank=True)
    subject_race_self_raw = models.CharField(max_length=60, blank=True)
    frisk_performed = models.BooleanField(null=True)
    search_conducted = models.BooleanField(null=True)
    search_basis = models.CharField(max_length=40, blank=True)
    contraband_found = models.BooleanField(null=True)
    contraband_drugs = models.BooleanField(null=True)
    contraband_weapons = models.BooleanField(null=True)
    contraband_other = models.BooleanField(null=True)
    object_of_search = models.CharField(max_length=60, blank=True)
    legislation = models.CharField(max_length=100, blank=True)
    outcome = models.CharField(max_length=20, blank=True)
    outcome_raw = models.CharField(max_length=60, blank=True)
    outcome_linked_to_object = models.BooleanField(null=True)
    clothing_removal = models.BooleanField(null=True)
    force_used = models.BooleanField(null=True)

    def __str__(self) -> str:
        return self.record_id


class Call(models.Model):
    record_id = models.CharField(max_length=40)
    agency = models.CharField(max_length=60)
    discipline = models.CharField(max_length=20, blank=True)
    received_at = models.DateTimeField(db_index=True)
    queued_at = models.DateTimeField(null=True)
    dispatched_at = models.DateTimeField(null=True)
    en_route_at = models.DateTimeField(null=True)
    on_scene_at = models.DateTimeField(null=True)
    cleared_at = models.DateTimeField(null=True)
    priority = models.CharField(max_length=10, blank=True)
    call_type = models.CharField(max_length=60, blank=True)
    final_type = models.CharField(max_length=60, blank=True)
    call_source = models.CharField(max_length=30, blank=True)
    disposition = models.CharField(max_length=60, blank=True)
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    area = models.CharField(max_length=60, blank=True)
    neighbourhood = models.CharField(max_length=60, db_index=True, blank=True)

    def __str__(self) -> str:
        return self.record_id
